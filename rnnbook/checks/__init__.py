"""Checkers for the book's coding exercises: one module per chapter, one function per exercise."""
