# bench/punch/net.sh -- sourced by run.sh and run-sipp.sh: the network namespaces and NATs.
# Needs INET (the public segment's namespace, a bridge pbp-br in it) and appends every namespace it
# makes to NAMESPACES (the caller's cleanup deletes them).
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
add_ns() { ip netns add "$1" && NAMESPACES+=("$1") && ip -n "$1" link set lo up; }

# nat PAIR SIDE(a|b) PORTS(keep|random) -- a NAT on the segment and its phone
nat() {
  local i=$1 s=$2 ports=$3 n=pbp-n$1$2 ph=pbp-p$1$2 pub lan
  pub=203.0.113.$((10 * i + $([ "$s" = a ] && echo 1 || echo 2)))
  lan=10.$i.$([ "$s" = a ] && echo 1 || echo 2)
  add_ns "$n"; add_ns "$ph"
  ip -n "$n" link add pbp$i$s-w type veth peer name pbp$i$s-b netns $INET
  ip -n $INET link set pbp$i$s-b master pbp-br up
  ip -n "$n" addr add "$pub/24" dev pbp$i$s-w && ip -n "$n" link set pbp$i$s-w up
  ip -n "$n" link add pbp$i$s-l type veth peer name pbp$i$s-p netns "$ph"
  ip -n "$n" addr add "$lan.1/24" dev pbp$i$s-l && ip -n "$n" link set pbp$i$s-l up
  ip -n "$ph" addr add "$lan.2/24" dev pbp$i$s-p && ip -n "$ph" link set pbp$i$s-p up
  ip -n "$ph" route add default via "$lan.1"
  nsx "$n" sysctl -qw net.ipv4.ip_forward=1
  if [ "$ports" = random ]; then
    nsx "$n" iptables -t nat -A POSTROUTING -o pbp$i$s-w -j MASQUERADE --random
  else
    nsx "$n" iptables -t nat -A POSTROUTING -o pbp$i$s-w -j MASQUERADE
  fi
  nsx "$n" iptables -P FORWARD DROP
  nsx "$n" iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  nsx "$n" iptables -A FORWARD -i pbp$i$s-l -o pbp$i$s-w -m conntrack --ctstate NEW -j ACCEPT
  nsx "$n" iptables -A FORWARD -i pbp$i$s-w -p udp -j DROP
  # unsolicited UDP to the NAT itself leaves no conntrack entry that would take a phone's port (NatTopology)
  nsx "$n" iptables -A INPUT -i pbp$i$s-w -p udp -m conntrack --ctstate NEW -j DROP
}

