"""``GET /api/v1/certificates/{code}``: a certificate's public record and current status,
the machine-readable twin of the /verify/{code} page."""

from flask import jsonify
from flask_babel import gettext as _

from educational.certificates import services
from educational.core.permissions import public

from .errors import not_found
from .views import bp, iso_date


def certificate_json(certificate, today) -> dict:
    return {
        "code": certificate.code,
        "holder": certificate.holder_name,
        "course": certificate.course_title,
        "version": certificate.course_version,
        "issued_on": iso_date(certificate.issued_on),
        "expires_on": iso_date(certificate.expires_on),
        "status": str(certificate.status(today)),
    }


@bp.get("/certificates/<code>")
@public
def certificate(code: str):
    found = services.find_certificate(code)
    if found is None:
        raise not_found(
            _("No certificate has the code %(code)s. Check it against the certificate.", code=code)
        )
    return jsonify(certificate_json(found, services.today()))
