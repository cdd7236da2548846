"""Type stubs of the compiled half of `entopic` (python/src/lib.rs). Use the `entopic` package;
these take the plain tuples `entopic` builds: (id, text, date, title, meta as JSON)."""

from typing import List, Optional, Sequence, Tuple

__version__: str

DocTuple = Tuple[str, str, Optional[str], Optional[str], Optional[str]]

class Pipeline:
    def __init__(
        self,
        dicts: Sequence[str],
        topic_models: Sequence[str],
        date: Optional[str],
        topic_threshold: Optional[float],
        top: Optional[int],
        default_dicts: bool,
        default_topics: bool,
        all_candidates: bool,
    ) -> None: ...
    def types(self) -> List[str]: ...
    def analyze_json(self, doc: DocTuple) -> str: ...
    def analyze_batch_json(self, docs: Sequence[DocTuple], jobs: Optional[int] = None) -> List[str]: ...

def contexts(text: str, spans: Sequence[Tuple[int, int]]) -> List[str]: ...
