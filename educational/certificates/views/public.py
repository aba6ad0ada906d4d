"""Public verification of a certificate by its code, and the issuer's profile and keys that
check its credential."""

from flask import jsonify, redirect, render_template, request, url_for

from educational.core.db import today
from educational.core.permissions import public

from .. import credential, services, signing
from . import bp


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
    on = today()
    return render_template(
        "certificates/record.html",
        certificate=certificate,
        status=certificate.status(on),
        today=on,
    )
