export function formatDuration(milliseconds: number): string {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${String(minutes).padStart(hours ? 2 : 1, '0')}:${String(seconds).padStart(2, '0')}`;
  return hours ? `${hours}:${mmss}` : mmss;
}

/** "sip:bob@kandy.example" → "bob@kandy.example"; numbers stay as the network gave them. */
export function displayParty(address: string, name?: string): string {
  if (name) return name;
  return address.replace(/^(sips?|tel):/, '') || 'Unknown';
}
