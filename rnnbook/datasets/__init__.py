"""The data the book learns from: generated tasks, real corpora, vocabularies that batch them."""
