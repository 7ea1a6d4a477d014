// The profiles page: browser profiles (logged-in sessions) to list, create and delete.

import { del, get, post } from './api.js';
import { fill, h, notify } from './dom.js';

export function profilesView(root) {
  document.title = 'Profiles · homebody';
  const list = h('div', { class: 'table-wrap' });
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const name = h('input', { type: 'text', id: 'profile-name', name: 'name', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'profile-name-hint' });
  const nameError = h('p', { class: 'field-error', id: 'profile-name-error', hidden: true });
  const create = h('button', { type: 'submit', class: 'primary' }, 'Create profile');
  const form = h(
    'form',
    { novalidate: true, class: 'card', 'aria-labelledby': 'new-profile-title' },
    h('h2', { id: 'new-profile-title' }, 'New profile'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'profile-name' }, 'Name'),
      h('p', { class: 'hint', id: 'profile-name-hint' }, 'Up to 64 letters, digits, “-”, “_” or “.”, starting with a letter or digit; for example “personal” or “work”.'),
      name,
      nameError,
    ),
    h('div', { class: 'actions' }, create),
  );
  root.append(
    h('h1', { tabindex: '-1' }, 'Profiles'),
    h(
      'p',
      { class: 'muted' },
      'A profile is a browser with its own cookies and logins, kept on this machine. Tasks that use one can act in the sites you signed in to.',
    ),
    h('div', { class: 'list-layout' }, h('section', { class: 'card', 'aria-labelledby': 'profiles-title' }, h('h2', { id: 'profiles-title' }, 'Profiles'), problem, list), form),
  );

  const setNameError = (message) => {
    nameError.textContent = message || '';
    nameError.hidden = !message;
    if (message) {
      name.setAttribute('aria-invalid', 'true');
      name.setAttribute('aria-describedby', 'profile-name-hint profile-name-error');
    } else {
      name.removeAttribute('aria-invalid');
      name.setAttribute('aria-describedby', 'profile-name-hint');
    }
  };

  async function remove(profile, button) {
    if (!window.confirm(`Delete the profile “${profile.name}” with its cookies and logins? This cannot be undone.`)) return;
    button.disabled = true;
    try {
      await del(`/api/profiles/${encodeURIComponent(profile.name)}`);
      notify(`Deleted the profile “${profile.name}”.`);
      await load();
    } catch (err) {
      problem.textContent = err.message;
      problem.hidden = false;
      button.disabled = false;
    }
  }

  function table(profiles) {
    if (!profiles.length) return h('p', { class: 'muted' }, 'No profiles yet. Tasks use the profile “default” unless you pick another.');
    return h(
      'table',
      { class: 'profiles' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'In use'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
      h(
        'tbody',
        {},
        profiles.map((p) => {
          const button = h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${p.name}` }, 'Delete');
          if (p.in_use) {
            button.disabled = true;
            button.title = 'A task is using this profile';
          }
          button.addEventListener('click', () => remove(p, button));
          return h('tr', { 'data-name': p.name }, h('td', {}, p.name), h('td', {}, p.in_use ? 'yes, by a running task' : 'no'), h('td', {}, button));
        }),
      ),
    );
  }

  async function load() {
    try {
      const data = await get('/api/profiles');
      problem.hidden = true;
      fill(list, table(data.profiles || []));
    } catch (err) {
      problem.textContent = err.message;
      problem.hidden = false;
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setNameError('');
    create.disabled = true;
    try {
      await post('/api/profiles', { name: name.value.trim() });
      notify(`Created the profile “${name.value.trim()}”.`);
      name.value = '';
      await load();
    } catch (err) {
      setNameError(err.message);
      name.focus();
    } finally {
      create.disabled = false;
    }
  });
  load();
  return () => {};
}
