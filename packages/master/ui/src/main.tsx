// Entry point: opens the feed and renders the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { feedStore } from './api/feed-store.js';
import { App } from './app.js';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
feedStore.start();
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
