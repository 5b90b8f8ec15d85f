"""ST: the report's structure — title, sections in the official order, tables present, the format of the right era."""
