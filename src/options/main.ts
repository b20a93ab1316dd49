import { mount } from 'svelte';
import Options from './Options.svelte';
import { localizeDocument } from '../ui/i18n';
import '../ui/base.css';

localizeDocument('optionsPageTitle');
mount(Options, { target: document.getElementById('app') as HTMLElement });
