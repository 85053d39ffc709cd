/**
 * Entry point: routes between the lobby and a world by the URL hash (`#/w/<worldId>`), so a world
 * link works from any static host and the server serves one page for everything.
 */
import './style.css';
import { parseRoute, worldHash } from './route';
import { installTestHook, type WorldProbe } from './testing/testHook';
import { joinName } from './ui/identity';
import { mountLobby } from './ui/lobby';
import { mountDashboard } from './dashboard/dashboardPage';
import { mountWorldPage } from './world/worldPage';

const root = document.getElementById('app')!;
let unmount: () => void = () => undefined;
let probe: WorldProbe | null = null;
installTestHook(() => probe);

function render(): void {
  unmount();
  const route = parseRoute(location.hash);
  const enterWorld = (worldId: string) => {
    location.hash = worldHash(worldId);
  };
  switch (route.page) {
    case 'lobby':
      document.title = 'Document Workflow Chain';
      unmount = mountLobby(root, { enterWorld });
      return;
    case 'dashboard':
      document.title = 'Dashboard — Document Workflow Chain';
      unmount = mountDashboard(root, {
        backToLobby: () => {
          location.hash = '';
        },
      });
      return;
    case 'bad-link':
      unmount = mountLobby(root, { enterWorld, notice: 'That world link is not valid. Pick a world below or create one.' });
      return;
    case 'world':
      // an invite link is accepted in the lobby, as an account (signing in there first if needed)
      if (route.invite) {
        unmount = mountLobby(root, { enterWorld, pendingInvite: { worldId: route.worldId, token: route.invite } });
        return;
      }
      // a shared link opened by a guest who has no name yet: ask for it first, then join
      if (!joinName()) {
        unmount = mountLobby(root, { enterWorld: (id) => (id === route.worldId ? render() : enterWorld(id)), pendingWorldId: route.worldId });
        return;
      }
      unmount = mountWorldPage(root, {
        worldId: route.worldId,
        backToLobby: () => {
          location.hash = '';
        },
        setProbe: (p) => {
          probe = p;
        },
      });
      return;
    default: {
      const unreachable: never = route;
      throw new Error(`unknown route ${JSON.stringify(unreachable)}`);
    }
  }
}

window.addEventListener('hashchange', render);
render();
