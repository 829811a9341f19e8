"""The ops, one Cython module per family (see ARCHITECTURE.md)."""
