/**
 * The lobby's account card: sign in or sign up with a username and password (optional: guests
 * still work where the server and the world allow them), or, when signed in, who you are and sign out.
 */
import { AccountError, currentAccount, onAccountChange, signIn, signOut, signUp, type Account } from '../net/account';
import { DASHBOARD_HASH } from '../route';
import { h, replaceChildren } from './kit/dom';
import { inBackground } from './kit/background';

export interface AccountCardOptions {
  signedIn(account: Account): void;
}

export function accountCard(opts: AccountCardOptions): { element: HTMLElement; dispose(): void } {
  const element = h('section', { class: 'card account', 'data-testid': 'account' });

  const render = () => {
    const account = currentAccount();
    if (account) {
      const out = h('button', { type: 'button', class: 'secondary', 'data-testid': 'sign-out' }, 'Sign out');
      out.addEventListener('click', () => inBackground(signOut(), 'Signing out'));
      const dashboard = h('a', { href: DASHBOARD_HASH, class: 'dashboard-link', 'data-testid': 'dashboard-link' }, 'Dashboard: how your worlds are used');
      replaceChildren(element, h('h2', {}, 'Account'), h('p', { 'data-testid': 'signed-in-as' }, 'Signed in as ', h('strong', {}, account.username), ' '), out, h('p', {}, dashboard));
      return;
    }
    const username = h('input', { id: 'account-username', 'data-testid': 'account-username', autocomplete: 'username', maxlength: '32', placeholder: 'e.g. ann' });
    const password = h('input', { id: 'account-password', 'data-testid': 'account-password', type: 'password', autocomplete: 'current-password', placeholder: 'at least 10 characters' });
    const totp = h('input', { id: 'account-totp', 'data-testid': 'account-totp', inputmode: 'numeric', maxlength: '6', placeholder: '6-digit code' });
    const totpRow = h('div', { hidden: true }, h('label', { for: 'account-totp' }, 'Authenticator code'), totp);
    const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'account-error' });
    const signInButton = h('button', { type: 'submit', 'data-testid': 'sign-in' }, 'Sign in');
    const signUpButton = h('button', { type: 'button', class: 'secondary', 'data-testid': 'sign-up' }, 'Sign up');
    const form = h(
      'form',
      { class: 'account-form' },
      h('label', { for: 'account-username' }, 'Username'),
      username,
      h('label', { for: 'account-password' }, 'Password'),
      password,
      totpRow,
      h('div', { class: 'row' }, signInButton, signUpButton),
      error,
    );
    const run = (action: () => Promise<Account>) => {
      error.textContent = '';
      signInButton.disabled = signUpButton.disabled = true;
      action()
        .then((a) => opts.signedIn(a))
        .catch((err: unknown) => {
          if (err instanceof AccountError && err.code === 'TOTP_REQUIRED') {
            totpRow.hidden = false;
            totp.focus();
          }
          error.textContent = err instanceof AccountError ? err.message : 'Something went wrong. Try again.';
        })
        .finally(() => {
          signInButton.disabled = signUpButton.disabled = false;
        });
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      run(() => signIn(username.value, password.value, totp.value || undefined));
    });
    signUpButton.addEventListener('click', () => run(() => signUp(username.value, password.value)));
    replaceChildren(element, h('h2', {}, 'Account'), h('p', { class: 'muted' }, 'Optional: sign in to own worlds and be invited to private ones.'), form);
  };
  render();
  const stop = onAccountChange(render);
  return { element, dispose: () => void stop() };
}
