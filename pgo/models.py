"""Every table of the app, imported in one place so that migrations and tests see the whole schema."""

from pgo.accounts import models as accounts  # noqa: F401
from pgo.decisions import models as decisions  # noqa: F401
from pgo.measurements import models as measurements  # noqa: F401
from pgo.questionnaires import models as questionnaires  # noqa: F401
from pgo.records import models as records  # noqa: F401
from pgo.records.providers import models as providers  # noqa: F401
from pgo.summary import models as summary  # noqa: F401
