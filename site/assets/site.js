// Baton's theme script: the light/dark choice (remembered in this browser; the system's until one is made),
// applied before the page paints, and the navigation drawer on narrow screens. Without it the site still
// works: the system's scheme, and the sidebar below the header.
(function () {
  'use strict';
  const key = 'baton-theme';
  const html = document.documentElement;
  const stored = () => { try { return localStorage.getItem(key); } catch (e) { return null; } };
  const apply = choice => {
    if (choice === 'light' || choice === 'dark') html.dataset.theme = choice; else delete html.dataset.theme;
  };
  apply(stored());
  html.classList.add('js');

  document.addEventListener('DOMContentLoaded', () => {
    const names = { light: 'light', dark: 'dark', system: 'as the system' };
    const theme = document.querySelector('.theme-toggle');
    if (theme) {
      const show = () => {
        const choice = stored() || 'system';
        theme.textContent = choice === 'dark' ? 'Dark' : choice === 'light' ? 'Light' : 'Auto';
        theme.setAttribute('aria-label', 'Colour scheme: ' + names[choice] + ' (change)');
      };
      theme.hidden = false;
      show();
      theme.addEventListener('click', () => {
        const order = ['system', 'light', 'dark'];
        const next = order[(order.indexOf(stored() || 'system') + 1) % order.length];
        try { if (next === 'system') localStorage.removeItem(key); else localStorage.setItem(key, next); } catch (e) { /* private mode */ }
        apply(next);
        show();
      });
    }
    const menu = document.querySelector('.menu-toggle');
    const sidebar = document.getElementById('sidebar');
    if (menu && sidebar) {
      menu.hidden = false;
      const set = open => {
        document.body.classList.toggle('nav-open', open);
        menu.setAttribute('aria-expanded', String(open));
        if (open) (sidebar.querySelector('[aria-current]') || sidebar.querySelector('a')).focus();
      };
      menu.addEventListener('click', () => set(!document.body.classList.contains('nav-open')));
      document.addEventListener('keydown', e => {
        if (e.key === 'Escape' && document.body.classList.contains('nav-open')) { set(false); menu.focus(); }
      });
      sidebar.addEventListener('click', e => { if (e.target.closest('a')) set(false); });
    }
  });
})();
