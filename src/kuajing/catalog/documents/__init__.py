"""Official list documents (PDF, scanned PDF, page images, DOCX, HTML) read into tables.

Each reader turns one file into `Table`s of `Cell`s; `kuajing.catalog.documents.pipeline` turns
those into the rows of the official layout that `kuajing.catalog.tabular` imports."""
