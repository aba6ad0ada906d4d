"""The learner's certificates and downloads, public verification, the issuer's public key,
and the staff pages to find and revoke a certificate."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from educational.core.db import db
from educational.core.errors import DomainError
from educational.core.forms import query_text, show_domain_error
from educational.core.permissions import authenticated, public, require, requires
from educational.core.urls import external_url

from . import credential, services, signing
from .forms import RevokeForm
from .pdf import certificate_pdf

bp = Blueprint("certificates", __name__)


def _certificate_or_404(code: str):
    return services.find_certificate(code) or abort(404)


def _verify_url(certificate) -> str:
    return external_url("certificates.record", code=certificate.code)


@bp.get("/certificates")
@authenticated
def mine():
    return render_template(
        "certificates/mine.html",
        certificates=services.certificates_of(current_user),
        today=services.today(),
    )


@bp.get("/certificates/<code>/pdf")
@authenticated
def download_pdf(code: str):
    certificate = _certificate_or_404(code)
    require(current_user, "download_certificate", certificate)
    data = certificate_pdf(
        certificate, verify_url=_verify_url(certificate), issuer=credential.issuer_name()
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
    certificate = _certificate_or_404(code)
    require(current_user, "download_credential", certificate)
    return Response(
        credential.signed_credential(certificate),
        mimetype="application/jwt",
        headers={
            "Content-Disposition": f'attachment; filename="certificate-{certificate.code}.jwt"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.get("/certificates/issuer")
@public
def issuer():
    """The issuer's Open Badges Profile: the ``issuer.id`` of every credential."""
    return jsonify(credential.issuer_profile())


@bp.get("/.well-known/jwks.json")
@public
def jwks():
    response = jsonify(signing.public_jwks(signing.signing_key()))
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/verify")
@public
def verify():
    """The look-up form; with ``?code=`` it goes to that certificate's record."""
    typed = request.args.get("code", "")[:100]
    if not typed.strip():
        return render_template("certificates/verify.html", code="", not_found=False)
    certificate = services.find_certificate(typed)
    if certificate is None:
        return render_template("certificates/verify.html", code=typed, not_found=True), 404
    return redirect(url_for("certificates.record", code=certificate.code))


@bp.get("/verify/<code>")
@public
def record(code: str):
    certificate = services.find_certificate(code)
    if certificate is None:
        return render_template("certificates/verify.html", code=code, not_found=True), 404
    if code != certificate.code:
        return redirect(url_for("certificates.record", code=certificate.code), 301)
    today = services.today()
    return render_template(
        "certificates/record.html",
        certificate=certificate,
        status=certificate.status(today),
        today=today,
    )


@bp.get("/staff/certificates")
@requires("staff_area")
def staff_index():
    q = query_text("q")
    return render_template(
        "certificates/staff_index.html",
        q=q,
        certificates=services.search_certificates(q),
        today=services.today(),
    )


@bp.get("/staff/certificates/<code>")
@requires("staff_area")
def staff_detail(code: str):
    certificate = _certificate_or_404(code)
    return _staff_page(certificate, RevokeForm())


@bp.post("/staff/certificates/<code>/revoke")
@requires("staff_area")
def revoke(code: str):
    certificate = _certificate_or_404(code)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            services.revoke_certificate(certificate, form.reason.data, current_user)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Certificate %(code)s is revoked.", code=certificate.code), "success")
            return redirect(url_for("certificates.staff_detail", code=certificate.code))
    return _staff_page(certificate, form)


def _staff_page(certificate, form: RevokeForm):
    today = services.today()
    return render_template(
        "certificates/staff_detail.html",
        certificate=certificate,
        status=certificate.status(today),
        form=form,
    )
