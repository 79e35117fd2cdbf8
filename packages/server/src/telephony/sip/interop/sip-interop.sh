#!/usr/bin/env bash
# Interoperability run: CallingBox's SIP user agent (interop/echo-server.ts, dial.ts) against baresip, a real
# softphone from Debian, in a private loopback-only network namespace (needs root, baresip, sox and
# /work/shared/sip-lab or SIP_LAB=...). Scenarios: caller hangs up after DTMF (UDP), agent hangs up,
# rejection with 480, a call over TCP, an outbound call from our UA to baresip (auto-answer), two
# calls through kamailio (Record-Route), a REFER transfer, and a linphonec call (kamailio and
# linphonec when installed).
# Prints PASS/FAIL per scenario; exits non-zero on any failure.
# usage: sudo packages/server/src/telephony/sip/interop/sip-interop.sh
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../../../../../.." && pwd)"
LAB="${SIP_LAB:-/work/shared/sip-lab}"
OUT="${OUT:-$(mktemp -d)}"
echo "logs in $OUT"
exec "$LAB/netns-loopback.sh" "
set -u
cd '$REPO'
LAB='$LAB'; OUT='$OUT'; fails=0
server() { node --import tsx packages/server/src/telephony/sip/interop/echo-server.ts --port 5070 --seconds 20 --calls 1 \"\$@\" > \"\$OUT/\$NAME-server.log\" 2>&1 & SP=\$!; for i in \$(seq 100); do grep -q listening \"\$OUT/\$NAME-server.log\" 2>/dev/null && break; sleep 0.1; done; }
phone() { ( cd \"\$LAB\" && exec ./baresip-call.sh --seconds 15 --rec \"\$OUT/\$NAME-rec\" > \"\$OUT/\$NAME-baresip.log\" 2>&1 ) & BP=\$!; }
ctrl() { ( cd \"\$LAB\" && ./baresip_ctrl.py --timeout 14 \"\$@\" > \"\$OUT/\$NAME-ctrl.log\" 2>&1 ); }
finish() { wait \$BP 2>/dev/null; kill \$SP 2>/dev/null; wait \$SP 2>/dev/null; }
check() { if eval \"\$1\"; then echo \"PASS \$NAME: \$2\"; else echo \"FAIL \$NAME: \$2\"; fails=\$((fails+1)); fi; }

NAME=udp-dtmf-caller-bye; server; phone
ctrl 'cmd:dial sip:+14155550123@127.0.0.1:5070' wait:CALL_ESTABLISHED sleep:2 dtmf:12# sleep:1 cmd:hangup wait:CALL_CLOSED cmd:quit
finish
check \"grep -q '\\\"digits\\\":\\\"12#\\\"' \$OUT/\$NAME-server.log\" 'DTMF 12# received once each (RFC 4733)'
check \"grep -q '\\\"cause\\\":\\\"caller_hangup\\\"' \$OUT/\$NAME-server.log\" 'caller BYE ends the call'
check \"grep -qE '\\\"loudFramesIn\\\":[1-9][0-9]{2}' \$OUT/\$NAME-server.log\" 'caller speech reached the agent'
DEC=\$(ls \$OUT/\$NAME-rec/*-dec.wav 2>/dev/null | head -1)
check \"[ -n '\$DEC' ] && sox '\$DEC' -n trim 0.2 0.8 stat 2>&1 | awk '/Rough/ {exit !(\\\$3 > 400 && \\\$3 < 480)}'\" 'baresip heard the 440 Hz greeting'
check \"grep -A3 'Transmit:' \$OUT/\$NAME-baresip.log | awk '/errors:/ {exit !(\\\$2 == 0 && \\\$3 == 0)}'\" 'no RTP errors at baresip'

NAME=agent-bye; server --hangup-after-s 2; phone
ctrl 'cmd:dial sip:+14155550123@127.0.0.1:5070' wait:CALL_ESTABLISHED wait:CALL_CLOSED cmd:quit
finish
check \"grep -q '\\\"cause\\\":\\\"agent_hangup\\\"' \$OUT/\$NAME-server.log && grep CALL_CLOSED \$OUT/\$NAME-ctrl.log | grep -q 'reset by peer'\" 'agent BYE accepted by baresip'
check \"grep -q sip.bye_answered \$OUT/\$NAME-server.log && grep -qE 'duration: [1-5] secs?' \$OUT/\$NAME-baresip.log\" 'BYE answered, call closed at 2 s (not by the WAV ending)'

NAME=reject-480; server --reject 480; phone
ctrl 'cmd:dial sip:+14155550123@127.0.0.1:5070' wait:CALL_CLOSED cmd:quit
finish
check \"grep -q '480' \$OUT/\$NAME-ctrl.log\" 'baresip saw 480 Temporarily Unavailable'

NAME=tcp; server; phone
ctrl 'cmd:dial sip:+14155550123@127.0.0.1:5070;transport=tcp' wait:CALL_ESTABLISHED sleep:2 dtmf:5 sleep:1 cmd:hangup wait:CALL_CLOSED cmd:quit
finish
check \"grep -q '\\\"digits\\\":\\\"5\\\"' \$OUT/\$NAME-server.log && grep -q '\\\"transport\\\":\\\"tcp\\\"' \$OUT/\$NAME-server.log\" 'call over TCP with DTMF'

NAME=transfer-refer
server --calls 2 --transfer-on 9 --transfer-to sip:+14155550100@127.0.0.1:5070; phone
ctrl 'cmd:dial sip:+14155550123@127.0.0.1:5070' wait:CALL_ESTABLISHED sleep:1 dtmf:9 wait:TRANSFER wait:CALL_ESTABLISHED sleep:1 cmd:hangup wait:CALL_CLOSED cmd:quit
finish
check \"grep -q '\\\"transferred\\\":true' \$OUT/\$NAME-server.log && grep -q '\\\"dialled\\\":\\\"+14155550100\\\"' \$OUT/\$NAME-server.log\" 'REFER: baresip called the transfer target, NOTIFY 200 ended our leg'

NAME=outbound
( cd \"\$LAB\" && exec ./baresip-call.sh --sine 440 --seconds 12 --rec \"\$OUT/\$NAME-rec\" > \"\$OUT/\$NAME-baresip.log\" 2>&1 ) & BP=\$!
sleep 1.5
node --import tsx packages/server/src/telephony/sip/interop/dial.ts --to sip:+15557654321@127.0.0.1:5080 --seconds 4 --dtmf 1# > \"\$OUT/\$NAME-dialer.log\" 2>&1
kill \$BP 2>/dev/null; wait \$BP 2>/dev/null
check \"grep -qE 'zeroCrossingsPerS.:4[2-5][0-9]' \$OUT/\$NAME-dialer.log\" 'our outbound call heard the 440 Hz tone of baresip'
check \"grep -q 'received event: .#. (end=1)' \$OUT/\$NAME-baresip.log\" 'baresip received our RFC 4733 DTMF'
check \"grep -q sip.bye_answered \$OUT/\$NAME-dialer.log\" 'baresip answered our BYE'
DEC=\$(ls \$OUT/\$NAME-rec/*-dec.wav 2>/dev/null | head -1)
check \"[ -n '\$DEC' ] && sox '\$DEC' -n trim 0.3 0.5 stat 2>&1 | awk '/Rough/ {exit !(\\\$3 > 600 && \\\$3 < 720)}'\" 'baresip heard our 660 Hz tone'

NAME=kamailio-record-route
if command -v kamailio >/dev/null; then
  for p in 5071 5072; do node --import tsx packages/server/src/telephony/sip/interop/echo-server.ts --port \$p --seconds 40 --calls 1 --hangup-after-s 2 > \"\$OUT/\$NAME-server-\$p.log\" 2>&1 & done
  ( cd \"\$LAB/kamailio\" && exec timeout 40 kamailio -f kamailio.cfg -w \"\$LAB/kamailio\" -DD -E -m 64 -M 8 -Y \"\$(mktemp -d)\" > \"\$OUT/\$NAME-kamailio.log\" 2>&1 ) & KP=\$!
  sleep 3; phone
  ctrl 'cmd:dial sip:+14155550123@127.0.0.1:5070' wait:CALL_ESTABLISHED wait:CALL_CLOSED sleep:1 'cmd:dial sip:+14155550123@127.0.0.1:5070' wait:CALL_ESTABLISHED wait:CALL_CLOSED cmd:quit
  wait \$BP 2>/dev/null; kill \$KP 2>/dev/null; wait \$KP 2>/dev/null
  check \"[ \\\$(cat \$OUT/\$NAME-server-*.log | grep -c sip.bye_answered) = 2 ] && [ \\\$(grep CALL_CLOSED \$OUT/\$NAME-ctrl.log | grep -c 'reset by peer') = 2 ]\" 'two calls round-robin behind kamailio, each agent BYE routed back through it'
else echo \"SKIP \$NAME: no kamailio\"; fi

NAME=linphonec
if command -v linphonec >/dev/null; then
  T=\$(mktemp -d); cp \"\$LAB/linphone/linphonerc\" \"\$T/\"
  server
  ( sleep 2; echo 'ports sip 5090'; echo 'soundcard use files'; sleep 1
    echo 'call sip:+14155550123@127.0.0.1:5070'; sleep 2
    echo \"play \$LAB/audio/speech8k.wav\"; echo \"record \$T/heard.wav\"; sleep 5
    echo terminate; sleep 2; echo quit ) | HOME=\"\$T\" timeout 30 linphonec -c \"\$T/linphonerc\" -d 0 > \"\$OUT/\$NAME-linphonec.log\" 2>&1
  kill \$SP 2>/dev/null; wait \$SP 2>/dev/null
  check \"grep -qE 'loudFramesIn.:[1-9][0-9]{2}' \$OUT/\$NAME-server.log && grep -q caller_hangup \$OUT/\$NAME-server.log\" 'linphonec call: speech reached the agent, caller BYE'
  check \"sox \$T/heard.wav -n stat 2>&1 | awk '/RMS     amplitude/ {exit !(\\\$3 > 0.02)}'\" 'linphonec heard the echo'
else echo \"SKIP \$NAME: no linphonec\"; fi

echo \"interop: \$fails failure(s)\"
exit \$fails
"
