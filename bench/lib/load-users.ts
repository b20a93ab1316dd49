/** The generated users of the gateway child (bench/lib/gateway-child.ts) for load tests. */
export const loadUser = (index: number) => ({ username: `load${index}`, password: `pw-${index}`, number: `+1415${7_000_000 + index}` });
