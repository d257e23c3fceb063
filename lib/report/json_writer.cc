// Placeholder: replaced by the layer's implementation.
