// The Vant components the app uses, registered with their own CSS only. Vant's icon font is
// left out on purpose: it is a 28 KB (compressed) data: font the CSP would refuse anyway, so the
// app draws its few icons itself (docs/web.md, the budget).
import {
  Button, Cell, CellGroup, Checkbox, Field, Form, Grid, GridItem, Radio, RadioGroup, Step, Steps, Tag,
} from 'vant';
import 'vant/es/style/base.css';
import 'vant/es/badge/index.css';
import 'vant/es/loading/index.css';
import 'vant/es/button/index.css';
import 'vant/es/cell/index.css';
import 'vant/es/cell-group/index.css';
import 'vant/es/checkbox/index.css';
import 'vant/es/field/index.css';
import 'vant/es/grid/index.css';
import 'vant/es/grid-item/index.css';
import 'vant/es/radio/index.css';
import 'vant/es/step/index.css';
import 'vant/es/steps/index.css';
import 'vant/es/tag/index.css';

export function installVant(app) {
  for (const c of [Button, Cell, CellGroup, Checkbox, Field, Form, Grid, GridItem, Radio, RadioGroup, Step, Steps, Tag]) app.use(c);
}
