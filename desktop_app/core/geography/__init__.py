"""Area boundaries: reading GeoPackage, GeoJSON and Shapefile files into ``AreaShapes``, simplifying them for display, and writing the GeoPackage (docs/maps.md)."""
