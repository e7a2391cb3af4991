"""Pure, vectorised feature functions: arrays and DataFrames in, arrays out, no I/O."""
