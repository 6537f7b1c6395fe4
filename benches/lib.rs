//! Benchmarks of the `authing` SDK; the code is in the bench targets `client` and `compare` (see README.md).
