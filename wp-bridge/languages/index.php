<?php
// Silence is golden: translations (almaseo-outreach-<locale>.mo / .json) go here.
