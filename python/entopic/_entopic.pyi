"""Type stubs of the compiled half of `entopic` (python/src/lib.rs). Use the `entopic` package;
documents go in as JSONL input lines (JSON objects) and come out as JSONL records."""

from typing import List, Optional, Sequence, Tuple

__version__: str
MENTION_COLUMNS: List[str]

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
    def analyze_json(
        self,
        docs: Sequence[str],
        first: int,
        text_field: str,
        id_field: str,
        jobs: Optional[int] = None,
        title_in_text: bool = False,
    ) -> List[str]: ...

def contexts(text: str, spans: Sequence[Tuple[int, int]]) -> List[str]: ...
