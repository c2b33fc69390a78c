"""The web API's routes of the access credits (the Tools page), answered by `jeton.services`
in the shape of `jeton.records`, as `jeton --json services ...` prints them:
- `/api/services` [for]: every service, its price now and any announced rise; with `for`, that
  account's credits in each;
- `/api/services/<id>` [for]: one service; with `for`, that account's credits in it and every
  use of them its provider recorded. An id with no service answers the contract's own error,
  UnknownService (HTTP 422, as every contract error).
"""

from typing import TYPE_CHECKING, Any

from .. import records
from ..parsing import parse_address

if TYPE_CHECKING:
    from ..client import Jeton


class CreditsRoutes:
    """The Tools page's routes, a part of `jeton.web.Api`."""

    jeton: "Jeton"

    def services(self, query: dict[str, str]) -> dict[str, Any]:
        holder = parse_address(query["for"], "for") if query.get("for") else None
        found = self.jeton.services.list()
        result = []
        for service in found:
            record = records.service_record(service)
            if holder:
                credit = self.jeton.services.balance(service.id, holder)
                record["credit"] = records.credit_record(credit)
            result.append(record)
        return {"timestamp": self.jeton.block_timestamp(), "services": result}

    def service(self, query: dict[str, str], service_id: str) -> dict[str, Any]:
        service = self.jeton.services.get(int(service_id))
        record = records.service_record(service)
        record["timestamp"] = self.jeton.block_timestamp()
        if query.get("for"):
            holder = parse_address(query["for"], "for")
            credit = self.jeton.services.balance(service.id, holder)
            record["credit"] = records.credit_record(credit)
            record["uses"] = [
                records.use_record(u) for u in self.jeton.services.uses(holder, service.id)
            ]
        return record


__all__ = ["CreditsRoutes"]
