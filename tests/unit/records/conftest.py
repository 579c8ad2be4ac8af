import os
import sys
from pathlib import Path

os.environ.setdefault("PGO_FIXTURES", str(Path(__file__).resolve().parents[4] / "shared" / "fhir-fixtures"))
if not Path(os.environ["PGO_FIXTURES"]).is_dir():
    os.environ["PGO_FIXTURES"] = "/work/shared/fhir-fixtures"
sys.path.insert(0, str(Path(__file__).resolve().parent))
