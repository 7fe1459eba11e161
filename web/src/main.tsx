import { render } from 'preact';
import { Root } from './app';
import { Session, takeTokenFromUrl } from './session/session';
import { restoreToken, tabStorage } from './session/token-store';
import './styles/app.css';

// The token leaves the address bar before anything else runs; after a reload this tab's stored one is used.
const storage = tabStorage();
const fromUrl = takeTokenFromUrl();
const restored = fromUrl ? null : restoreToken(storage, Date.now());
const session =
  fromUrl !== null
    ? new Session(fromUrl, { storage })
    : restored?.status === 'ok'
      ? new Session(restored.token, { storage, receivedAt: restored.receivedAt })
      : new Session(null, { storage, endedBecause: restored?.status === 'expired' ? 'expired' : 'missing' });
const mount = document.getElementById('app');
if (mount) render(<Root session={session} />, mount);
