"""VUM, the national matching data standard of VNG, UWV and SZW: import, export and a source."""
