# SPDX-License-Identifier: BSD-3-Clause
# A minimal runtime image of the mrmlguard command.
#
#   docker build -t mrmlguard .
#   docker run --rm -v "$PWD:/work:ro" mrmlguard validate -r .
#   docker run --rm -v "$PWD:/work:ro" mrmlguard validate -r --format sarif . > mrmlguard.sarif
#
# Two stages: the builder compiles the command (no tests, no ITK) with the
# steps of packaging/docker-build.sh and works out which Debian packages its
# shared libraries come from; the runtime stage installs only those, and runs
# as an unprivileged user. Mount the files read-only: mrmlguard never writes
# next to them (extract writes only into its destination).

FROM debian:12 AS builder
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential cmake ninja-build pkg-config \
      libexpat1-dev libxml2-dev libzip-dev zlib1g-dev libdeflate-dev python3 \
 && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN /src/packaging/docker-build.sh build /src /build \
 && /src/packaging/docker-build.sh install /build /stage \
 && /src/packaging/docker-build.sh smoke /stage /src \
 && /src/packaging/docker-build.sh runtime-packages /stage > /stage/runtime-packages.txt

FROM debian:12-slim
COPY --from=builder /stage/runtime-packages.txt /tmp/runtime-packages.txt
RUN apt-get update \
 && apt-get install -y --no-install-recommends $(cat /tmp/runtime-packages.txt) \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages.txt \
 && useradd --system --uid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin mrmlguard
COPY --from=builder /stage/bin/mrmlguard /usr/local/bin/mrmlguard
COPY --from=builder /stage/share/doc/mrmlguard /usr/share/doc/mrmlguard
USER 10001:10001
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/mrmlguard"]
CMD ["--help"]
