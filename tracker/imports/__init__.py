"""File imports: price files, factor files and the event catalogue, each recorded as a run of facts."""

from tracker.imports.catalogue import CatalogueImportReport, import_catalogue
from tracker.imports.factors import FactorImportReport, import_factors
from tracker.imports.prices import PriceImportReport, import_prices

__all__ = [
    "CatalogueImportReport", "FactorImportReport", "PriceImportReport",
    "import_catalogue", "import_factors", "import_prices",
]
