"""Reading, checking and generating the input tables (docs/data-contract.md)."""
