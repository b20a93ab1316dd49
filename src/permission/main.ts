import { mount } from 'svelte';
import Permission from './Permission.svelte';
import { localizeDocument } from '../ui/i18n';
import '../ui/base.css';

localizeDocument('micPageTitle');
mount(Permission, { target: document.getElementById('app') as HTMLElement });
