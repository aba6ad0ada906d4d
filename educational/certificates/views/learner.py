"""The learner's certificates: the list, the PDF and the signed Open Badges credential."""

from flask import Response, render_template
from flask_login import current_user

from educational.core.db import today
from educational.core.permissions import authenticated, require
from educational.core.urls import external_url

from .. import credential, services
from ..renewal import renewable, retake_course
from . import bp, certificate_or_404


@bp.get("/certificates")
@authenticated
def mine():
    certificates = services.certificates_of(current_user)
    day = today()
    # Near or past expiry: the page of the course that renews it (its refresher, or itself).
    renew = {
        certificate.id: retake_course(certificate.course).slug
        for certificate in certificates
        if renewable(certificate, day)
    }
    return render_template(
        "certificates/mine.html", certificates=certificates, today=day, renew=renew
    )


@bp.get("/certificates/<code>/pdf")
@authenticated
def download_pdf(code: str):
    # Here, not at the top: fpdf and its fonts cost every process (a worker, each `flask`
    # command) a noticeable part of its start-up, and only this view needs them.
    from ..pdf import certificate_pdf

    certificate = certificate_or_404(code)
    require(current_user, "download_certificate", certificate)
    data = certificate_pdf(
        certificate,
        verify_url=external_url("certificates.record", code=certificate.code),
        issuer=credential.issuer_name(),
    )
    return Response(
        data,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="certificate-{certificate.code}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.get("/certificates/<code>/credential")
@authenticated
def download_credential(code: str):
    certificate = certificate_or_404(code)
    require(current_user, "download_credential", certificate)
    return Response(
        credential.signed_credential(certificate),
        mimetype="application/jwt",
        headers={
            "Content-Disposition": f'attachment; filename="certificate-{certificate.code}.jwt"',
            "Cache-Control": "private, no-store",
        },
    )
