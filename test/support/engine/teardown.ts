// n8n-core starts an SSH client manager whose 60 s interval would keep jest alive after the
// tests pass; shut it down once each test file is done.
import { Container } from '@n8n/di';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

afterAll(() => {
	Container.get(SSHClientsManager).onShutdown();
});
