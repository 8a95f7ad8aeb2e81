"""File imports: price files, factor files, the event catalogue and news files, each recorded as a run of facts."""

from tracker.ingest.files.catalogue import CatalogueImportReport, import_catalogue
from tracker.ingest.files.factors import FactorImportReport, import_factors
from tracker.ingest.files.news import NewsImportReport, import_news
from tracker.ingest.files.prices import PriceImportReport, import_prices

__all__ = [
    "CatalogueImportReport", "FactorImportReport", "NewsImportReport", "PriceImportReport",
    "import_catalogue", "import_factors", "import_news", "import_prices",
]
