"""Parsing: normalised text → line tokens → the Lark grammar → the typed syntax tree."""
