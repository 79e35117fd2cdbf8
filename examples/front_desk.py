"""The inbound-agent guide, step for step, as a user of the product writes it (spec: sdk.md).

Runs unchanged against a local server with CALLINGBOX_BASE_URL and CALLINGBOX_API_KEY set, or with
neither (the SDK reads the credentials.json the server wrote into its data directory).

    python3 examples/front_desk.py
"""

from callingbox import Callingbox

client = Callingbox()

available = client.numbers.search_available(area_code="415", limit=2)
number = client.numbers.purchase(available[0].phone_number)
spare = client.numbers.purchase(available[1].phone_number)

agent = client.agents.create(
    name="Front desk",
    type="inbound",
    instructions="Take a message: ask who is calling, why, and the best number to call back.",
    returns={"caller_name": "string", "reason": "string", "callback_number": "string"},
    voicemail_action="hangup",
    number_ids=[number.id, spare.id],
)
print("created", agent.id, "answering", [n.e164 for n in agent.numbers])

agent = client.agents.update(agent.id, instructions="Take a message, and say that we call back within one business day.")
print("updated to version", agent.version)

other_agent = client.agents.create(name="After hours", type="inbound", instructions="Say we are closed.")
client.agents.detach_number(agent.id, number_id=spare.id)
other_agent = client.agents.attach_number(other_agent.id, number_id=spare.id)
print("moved", spare.e164, "to", other_agent.name, [n.e164 for n in other_agent.numbers])

for call in client.calls.iter_calls():
    if call.direction == "inbound" and call.agent_id == agent.id:
        print(call.id, call.to_number, call.result)
print("done")
