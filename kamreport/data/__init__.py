"""Reading, checking and generating the input tables (DATA_CONTRACT.md)."""
