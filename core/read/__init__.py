"""Reading: a report file of any format → :class:`~nianbao.read.source.SourceText`.

:mod:`~nianbao.read.formats` tells the format from the bytes and picks the reader; text is decoded
in :mod:`~nianbao.read.source`; DOCX, HTML, PDF (with OCR for scans) and OFD readers hand their
paragraphs and table grids to :mod:`~nianbao.read.assemble`, which writes the text the parser
reads and keeps, in :mod:`~nianbao.read.origin`, where each character is in the original.
"""
