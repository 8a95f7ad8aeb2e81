"""File imports: price files and the event catalogue, each recorded as a run of facts."""

from tracker.imports.catalogue import CatalogueImportReport, import_catalogue
from tracker.imports.prices import PriceImportReport, import_prices

__all__ = ["CatalogueImportReport", "PriceImportReport", "import_catalogue", "import_prices"]
