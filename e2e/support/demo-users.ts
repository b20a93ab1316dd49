import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

interface DirectoryUser {
  username: string;
  password: string;
  number: string;
  displayName?: string;
}

const directory = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../gateway/users.json'), 'utf8')) as { users: DirectoryUser[]; clients: string[] };

/** The credentials of one of the gateway's demo users, as a user would type them. */
export function demoUser(username: string): { username: string; password: string; number: string; clientId: string } {
  const user = directory.users.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`No demo user ${username} in gateway/users.json`);
  return { username: user.username, password: user.password, number: user.number, clientId: directory.clients[0] ?? 'kandy-click-to-call-demo' };
}
