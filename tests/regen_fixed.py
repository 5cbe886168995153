"""Write fixtures/rules/<name>.fixed.py from the current fixes (review the diff before committing).

    python tests/regen_fixed.py TKL101.py [...]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_rule_fixtures import FIXTURES, TODAY, code_of, config_for  # noqa: E402

from tokenlint.engine import fix  # noqa: E402

for name in sys.argv[1:]:
    path = FIXTURES / name
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / path.name
        shutil.copy(path, src)
        run = fix([src], config_for(path).with_overrides(select=(code_of(path),)), unsafe=True, today=TODAY,
                  root=Path(d))
        out = path.with_name(path.name[:-3] + ".fixed.py")
        if src in run.fixed:
            out.write_bytes(run.fixed[src])
            print("wrote", out)
        else:
            print("no fix for", path)
