"""Sender domains: domains the site proves it may send from (docs/api.md §20)."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from service.api.auth import requires
from service.api.blueprint import Blueprint
from service.api.context import actor, current_site, now, uow
from service.api.sender_domain_schemas import SenderDomainCheckSchema, SenderDomainSchema
from service.domain.sender_domains import usecases as sender_domains
from service.net.dns_txt import TIMEOUT, txt_lookup

blp = Blueprint(
    "sender_domains",
    __name__,
    url_prefix="/api/v1/sender-domains",
    description="Domains the site may send from once a DNS TXT record proves them.",
)


@blp.route("")
class SenderDomains(MethodView):
    @requires("outreach.settings")
    @blp.response(200, SenderDomainSchema(many=True))
    def get(self):
        """The site's sender domains, pending and verified."""
        return sender_domains.list_domains(uow(), current_site())

    @requires("outreach.settings")
    @blp.arguments(SenderDomainSchema)
    @blp.response(201, SenderDomainSchema)
    def post(self, data):
        """Add a domain: pending, with the TXT record that will prove it."""
        return sender_domains.add_domain(uow(), current_site(), data["domain"], actor(), now())


@blp.route("/<int:domain_id>")
class SenderDomainById(MethodView):
    @requires("outreach.settings")
    @blp.response(204)
    def delete(self, domain_id):
        """Remove a domain: addresses at it may no longer be used from now on."""
        sender_domains.remove_domain(uow(), current_site(), domain_id, actor(), now())


@blp.route("/<int:domain_id>/verify")
class SenderDomainVerify(MethodView):
    @requires("outreach.settings")
    @blp.response(200, SenderDomainCheckSchema)
    def post(self, domain_id):
        """Look the TXT record up now; `problem` says why it is not verified yet."""
        config = current_app.config
        lookup = txt_lookup(config.get("DNS_RESOLVER"), config.get("DNS_TIMEOUT") or TIMEOUT)
        row, problem = sender_domains.verify_domain(uow(), current_site(), domain_id, lookup, now())
        row.problem = problem  # dumped by SenderDomainCheckSchema beside the row's fields
        return row
