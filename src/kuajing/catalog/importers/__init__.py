"""The catalogue's importers: official lists, as tables (CSV, XLSX) or documents (PDF, scanned
PDF, page images, DOCX, HTML), read into zone-list data, and lists exported as tables.

One module reads each format (`csv`, `xlsx`, `pdf`, `docx`, `html`, `ocr`); `formats` says
which module reads a file's suffix and writes an export's, so a next format is a module and a
registry line there (and its first bytes in `read.detect`). What all formats share:
- `read`: the format of a file, from its content, and the document readers' entry;
- `model`, `rows`, `report`: a document's tables, their rows in the official layout, and what
  became of each row;
- `grid`, `load`: a table's or document's rows before they are made into a list;
- `thresholds`, `cells`: the phrases of the official columns (1万人以上, 全部场景, …);
- `entries`, `bands`, `importer`, `lists`: rows into a validated list;
- `export`: a list back into the official columns."""
