// SPDX-License-Identifier: BSD-3-Clause
// File: quote.h
//
// Quote() lives in the text layer (text/quote.h), beside the UTF-8 table it
// reads; this header keeps the name the layers above have always used,
// mrmlguard::internal::Quote, for the finding messages they write.

#ifndef MRMLGUARD_LIB_FINDINGS_QUOTE_H_
#define MRMLGUARD_LIB_FINDINGS_QUOTE_H_

#include "text/quote.h"

namespace mrmlguard::internal {

using text::Quote;

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_FINDINGS_QUOTE_H_
