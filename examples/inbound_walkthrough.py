"""The inbound-agent walkthrough (spec: sdk.md), with the Python SDK.

Buys two sandbox numbers, creates an inbound agent that extracts a reservation from each call
(``returns``), changes its instructions, moves a number over from a second agent, then lists the
agent's inbound calls with their results.

Runs against a local server as it is:
- with ``CALLINGBOX_BASE_URL`` and ``CALLINGBOX_API_KEY`` set, or
- with neither: the SDK reads the ``credentials.json`` that ``npx callingbox start`` wrote into
  ``CALLINGBOX_DATA_DIR`` (default ``./.callingbox/``).

    python3 examples/inbound_walkthrough.py
"""

from callingbox import Callingbox

client = Callingbox()

# 1. Two numbers from the sandbox inventory (free, instant).
available = client.numbers.search_available(area_code="415", limit=2)
if len(available) < 2:
    available = client.numbers.search_available(area_code="628", limit=2)
main_line = client.numbers.purchase(available[0].phone_number)
spare_line = client.numbers.purchase(available[1].phone_number)
print("bought", main_line.e164, "and", spare_line.e164)

# 2. An inbound agent that answers the main line and extracts a reservation from each call.
agent = client.agents.create(
    name="Reservations",
    type="inbound",
    persona="You are the friendly host of Chez Callingbox. You never take payments by phone.",
    instructions="Take table reservations: the guest's name, party size, date and time.",
    returns={
        "name": "string",
        "party_size": "integer",
        "date": "date",
        "time": {"type": "string", "description": "HH:MM, 24-hour clock"},
        "confirmed": "boolean",
    },
    number_ids=[main_line.id],
)
print("created agent", agent.id, "version", agent.version, "answering", [n.e164 for n in agent.numbers])

# 3. Edits apply to the next call only; each one makes a new version.
agent = client.agents.update(
    agent.id,
    instructions="Take table reservations: name, party size, date and time. Offer the terrace when it is warm.",
)
print("updated instructions, now version", agent.version)

# 4. A second agent had the spare line; move the number over to ours.
after_hours = client.agents.create(
    name="After hours",
    type="inbound",
    instructions="Tell callers that we are closed and when we open.",
    number_ids=[spare_line.id],
)
client.agents.detach_number(after_hours.id, number_id=spare_line.id)
agent = client.agents.attach_number(agent.id, number_id=spare_line.id)
print("agent", agent.id, "now answers", sorted(n.e164 for n in agent.numbers))

# 5. Every inbound call this agent answered, newest first, with what was extracted.
for call in client.calls.iter_calls():
    if call.direction == "inbound" and call.agent_id == agent.id:
        print(call.id, call.to_number, call.result)
