"""TEMP stub."""
from homebody.types import site_of
class TaskScope:
    def __init__(self, start_url: str, sites: tuple[str, ...] = ()) -> None:
        self._sites = {site_of(start_url).split(":")[0], *(s.split(":")[0] for s in sites)}
    def contains(self, url: str) -> bool:
        if url.startswith(("about:", "data:", "blob:")): return True
        return site_of(url).split(":")[0] in self._sites
    def add(self, url: str) -> None:
        self._sites.add(site_of(url).split(":")[0] if "//" in url else url)
