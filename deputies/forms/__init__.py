"""Forms of the deputies app, one module per area."""
