import { render } from 'preact';
import { Root } from './app';
import { Session, takeTokenFromUrl } from './session/session';
import './styles/app.css';

// The token leaves the address bar before anything else runs; from here on it lives in memory only.
const session = new Session(takeTokenFromUrl());
const mount = document.getElementById('app');
if (mount) render(<Root session={session} />, mount);
