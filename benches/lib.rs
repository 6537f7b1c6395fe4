//! Benchmarks of the `authing` SDK and its emulator; the code is in the bench targets `client`, `verify`, `emulator`
//! and `compare` (see README.md).
