"""The five-line quickstart of sdk/python/README.md, in module style (a default client built
from CALLINGBOX_API_KEY / CALLINGBOX_BASE_URL, or from a local server's credentials.json)."""

import callingbox

available = callingbox.numbers.search_available(area_code="415")
number = callingbox.numbers.purchase(available[0].phone_number)
agent = callingbox.agents.create(name="Front desk", type="inbound", instructions="Take a message.", number_ids=[number.id])
print(agent.id, "answers", number.e164)
