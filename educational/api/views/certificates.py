"""``GET /api/v1/certificates/{code}``: a certificate's public record and current status,
the machine-readable twin of the /verify/{code} page."""

from flask_babel import gettext as _

from educational.certificates import services
from educational.core.permissions import public

from .. import params, schemas
from ..errors import not_found
from ..openapi import operation
from . import bp


@bp.get("/certificates/<code>")
@public
@operation(
    "getCertificate",
    "A certificate's public record and status today.",
    path=params.CertificateCodePath(),
    responds=schemas.Certificate,
    ok="The certificate.",
    errors=("400", "401", "404", "429"),
)
def certificate(code: str):
    found = services.find_certificate(code)
    if found is None:
        raise not_found(
            _("No certificate has the code %(code)s. Check it against the certificate.", code=code)
        )
    return found
