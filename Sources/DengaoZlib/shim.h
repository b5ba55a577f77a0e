// zlib, for inflating XLSX parts a chunk at a time as the XML parser asks for them (see ZIPEntryStream.swift).
#include <zlib.h>
